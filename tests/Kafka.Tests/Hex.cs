namespace Orlog.Kafka.Tests;

/// <summary>Byte fixtures written as spaced hex, the way they are explained in comments.</summary>
internal static class Hex
{
    public static byte[] Bytes(string spaced) => Convert.FromHexString(spaced.Replace(" ", "").Replace("\n", ""));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
