namespace Npgsql.JwtSso;

/// <summary>Options of a <see cref="CommandTokenSource"/>: the program to run and how.</summary>
public sealed class CommandTokenSourceOptions
{
    /// <summary>Gets or sets the program to run, for example <c>gcloud</c> (looked up on <c>PATH</c>) or a full path.</summary>
    /// <value>The default value is an empty string; a value is required.</value>
    public string FileName { get; set; } = string.Empty;

    /// <summary>
    /// Gets the arguments, one element per argument (no shell quoting is involved), for example
    /// <c>auth</c>, <c>print-identity-token</c>, <c>--audiences=crdb</c>.
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Arguments { get; } = [];

    /// <summary>Gets or sets the working directory of the program, or <see langword="null"/> for the current directory.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Gets environment variables to set for the program on top of the inherited environment; a <see langword="null"/>
    /// value removes the variable.
    /// </summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Gets or sets how long the program may run before it is stopped (with its child processes) and the fetch fails with <see cref="JwtSsoErrorKind.Timeout"/>.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
