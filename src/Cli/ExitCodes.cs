namespace Orlog.Cli;

/// <summary>The exit codes scripts rely on (CONVENTIONS.md).</summary>
internal static class ExitCodes
{
    /// <summary>Success; a consume that ends on --max-messages or --timeout-ms succeeded.</summary>
    public const int Success = 0;

    /// <summary>The cluster refused the operation: a Kafka error, named in the message.</summary>
    public const int Refused = 1;

    /// <summary>Bad flags or values.</summary>
    public const int Usage = 2;

    /// <summary>The cluster could not be reached.</summary>
    public const int Unreachable = 3;
}
