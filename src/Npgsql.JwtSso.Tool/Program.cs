namespace Npgsql.JwtSso.Tool;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("crdb-jwt: not implemented yet");
        return args.Length == 0 ? 2 : 2;
    }
}
