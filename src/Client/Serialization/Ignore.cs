namespace Orlog.Client;

/// <summary>The type of a key or value the consumer does not read (it comes back null, never deserialized).</summary>
public sealed class Ignore
{
    private Ignore()
    {
    }
}
