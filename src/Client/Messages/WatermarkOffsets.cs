namespace Orlog.Client;

/// <summary>A partition's bounds: its log start offset (low) and its high watermark (high, the next offset written).</summary>
/// <param name="Low">The log start offset.</param>
/// <param name="High">The high watermark.</param>
public sealed record WatermarkOffsets(Offset Low, Offset High);
