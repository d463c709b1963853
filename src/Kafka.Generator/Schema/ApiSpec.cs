namespace Orlog.Kafka.Generator.Schema;

/// <summary>One schema file: an API with its request and response.</summary>
internal sealed class ApiSpec
{
    public ApiSpec(string name, string path)
    {
        Name = name;
        Path = path;
    }

    public string Name { get; }

    public string Path { get; }

    public short Key { get; set; }

    public VersionRange Versions { get; set; } = VersionRange.None;

    public VersionRange Advertised { get; set; } = VersionRange.None;

    public MessageSpec? Request { get; set; }

    public MessageSpec? Response { get; set; }
}
