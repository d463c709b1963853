namespace Orlog.Cli.Output;

/// <summary>How listings are printed: a drawn table on a terminal, plain columns when piped, or JSON.</summary>
internal enum OutputMode
{
    Auto,
    Plain,
    Json,
}
