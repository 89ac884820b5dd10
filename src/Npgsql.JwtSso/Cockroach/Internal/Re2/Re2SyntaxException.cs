namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>A pattern Go's <c>regexp</c> refuses; <see cref="Exception.Message"/> is Go's <c>*syntax.Error</c> text.</summary>
internal sealed class Re2SyntaxException : Exception
{
    public Re2SyntaxException()
    {
    }

    public Re2SyntaxException(string message)
        : base(message)
    {
    }

    public Re2SyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Re2SyntaxException(string code, string expr)
        : base($"error parsing regexp: {code}: `{expr}`")
    {
        Code = code;
    }

    /// <summary>Gets Go's <c>syntax.ErrorCode</c> text, for example <c>missing closing )</c>.</summary>
    public string Code { get; } = string.Empty;
}
