namespace Orlog.Records;

/// <summary>The bits of a v2 batch's 16-bit attributes field.</summary>
public static class RecordBatchAttributes
{
    public const short CompressionMask = 0x07;
    public const short TimestampTypeFlag = 0x08;
    public const short TransactionalFlag = 0x10;
    public const short ControlFlag = 0x20;
    public const short DeleteHorizonFlag = 0x40;

    public static short Create(CompressionType compression, TimestampType timestampType = TimestampType.CreateTime, bool isTransactional = false, bool isControl = false)
    {
        var attributes = (int)compression & CompressionMask;
        if (timestampType == TimestampType.LogAppendTime)
        {
            attributes |= TimestampTypeFlag;
        }
        if (isTransactional)
        {
            attributes |= TransactionalFlag;
        }
        if (isControl)
        {
            attributes |= ControlFlag;
        }
        return (short)attributes;
    }
}
