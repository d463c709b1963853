namespace Orlog.Client;

/// <summary>The type of a key or value that is always null (records without keys).</summary>
public sealed class Null
{
    private Null()
    {
    }
}
