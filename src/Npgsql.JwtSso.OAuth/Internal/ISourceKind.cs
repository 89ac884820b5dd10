using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>A <see cref="SourceKind{TOptions}"/> seen by the <see cref="IJwtSsoProvider"/> classes, whatever its options type.</summary>
internal interface ISourceKind
{
    string Name { get; }

    JwtTokenSource Create(IConfigurationSection section, IServiceProvider services);
}
