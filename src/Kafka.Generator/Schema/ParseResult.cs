namespace Orlog.Kafka.Generator.Schema;

/// <summary>A schema file read: the API when the file is sound, else the errors found in it.</summary>
internal sealed class ParseResult
{
    public ParseResult(string path, ApiSpec? api, List<SchemaError> errors)
    {
        Path = path;
        Api = api;
        Errors = errors;
    }

    public string Path { get; }

    public ApiSpec? Api { get; }

    public List<SchemaError> Errors { get; }
}
