using System.Buffers.Binary;

namespace Orlog.TestSupport;

/// <summary>
/// The Kafka fuzz tests' mutations of a size-prefixed request frame: bytes flipped, the body cut short or extended
/// with random bytes, garbage behind a real header, or the frame left as it is. The size prefix always tells the
/// truth: a size that lies only makes the broker wait for more bytes.
/// </summary>
internal static class FrameMutator
{
    public static byte[] Mutate(byte[] frame, Random random)
    {
        var bytes = frame.ToList();
        switch (random.Next(5))
        {
            case 0: // flip a few bytes after the size prefix
                for (var i = 0; i < 1 + random.Next(4); i++)
                {
                    var at = 4 + random.Next(Math.Max(1, bytes.Count - 4));
                    if (at < bytes.Count)
                    {
                        bytes[at] ^= (byte)(1 + random.Next(255));
                    }
                }
                break;
            case 1: // cut the body short
                bytes = bytes.Take(4 + random.Next(Math.Max(1, bytes.Count - 4))).ToList();
                break;
            case 2: // extend it with random bytes
                var extra = new byte[1 + random.Next(64)];
                random.NextBytes(extra);
                bytes.AddRange(extra);
                break;
            case 3: // garbage behind a real header
                var garbage = new byte[random.Next(200)];
                random.NextBytes(garbage);
                bytes = [.. bytes.Take(Math.Min(bytes.Count, 12)), .. garbage];
                break;
            default: // leave it valid
                break;
        }
        var mutated = bytes.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(mutated, mutated.Length - 4);
        return mutated;
    }
}
