namespace Orlog.Grains;

/// <summary>
/// Carries a <see cref="KafkaException"/> across grain calls with its error code intact (Orlog.Records has
/// no Orleans reference, so the exception travels as this surrogate).
/// </summary>
[GenerateSerializer, Alias("orlog.kafka-exception")]
public struct KafkaExceptionSurrogate
{
    [Id(0)]
    public ErrorCode Code;

    [Id(1)]
    public string Detail;
}

[RegisterConverter]
public sealed class KafkaExceptionConverter : IConverter<KafkaException, KafkaExceptionSurrogate>
{
    public KafkaException ConvertFromSurrogate(in KafkaExceptionSurrogate surrogate) => new(surrogate.Code, surrogate.Detail);

    public KafkaExceptionSurrogate ConvertToSurrogate(in KafkaException value) => new() { Code = value.Code, Detail = value.Detail };
}
