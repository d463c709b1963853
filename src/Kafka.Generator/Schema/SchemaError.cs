namespace Orlog.Kafka.Generator.Schema;

/// <summary>What is wrong with a schema file, and where (1-based line; column and length in that line).</summary>
internal sealed class SchemaError
{
    public SchemaError(int line, int column, int length, string message)
    {
        Line = line;
        Column = column;
        Length = length;
        Message = message;
    }

    public int Line { get; }

    public int Column { get; }

    public int Length { get; }

    public string Message { get; }
}
