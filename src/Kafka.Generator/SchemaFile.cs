namespace Orlog.Kafka.Generator;

/// <summary>A schema file's path and text: the generator's cache key, equal when both are.</summary>
internal sealed class SchemaFile : IEquatable<SchemaFile>
{
    public SchemaFile(string path, string text)
    {
        Path = path;
        Text = text;
    }

    public string Path { get; }

    public string Text { get; }

    public bool Equals(SchemaFile? other) =>
        other is not null && string.Equals(Path, other.Path, StringComparison.Ordinal) && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as SchemaFile);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path) ^ StringComparer.Ordinal.GetHashCode(Text);
}
