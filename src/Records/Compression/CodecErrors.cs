namespace Orlog.Records.Compression;

/// <summary>The exceptions the codecs raise, so that no library exception escapes with its own type.</summary>
internal static class CodecErrors
{
    public static KafkaException Corrupt(string codec, string detail, Exception? inner = null)
    {
        var message = $"the {codec} payload of the batch is corrupt: {detail}";
        return inner is null ? new KafkaException(ErrorCode.CorruptMessage, message) : new KafkaException(ErrorCode.CorruptMessage, message, inner);
    }

    public static KafkaException TooLarge(string codec, int maxOutputBytes) => new(
        ErrorCode.MessageTooLarge,
        $"the {codec} payload of the batch decompresses to more than {maxOutputBytes} bytes, the limit; send smaller batches.");

    /// <summary>True for exceptions that a codec library raises on bad input (and only those are translated).</summary>
    public static bool IsLibraryFailure(Exception exception) =>
        exception is not KafkaException and not OutOfMemoryException and not OperationCanceledException;
}
