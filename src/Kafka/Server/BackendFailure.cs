namespace Orlog.Kafka.Server;

/// <summary>The Kafka code for a broker call that failed as a whole (a timeout, a Kafka refusal, anything else).</summary>
internal static class BackendFailure
{
    public static (ErrorCode Code, string Message) Describe(Exception error) => error switch
    {
        KafkaException kafka => (kafka.Code, kafka.Detail),
        TimeoutException => (ErrorCode.RequestTimedOut, "The broker did not answer in time."),
        OperationCanceledException => (ErrorCode.RequestTimedOut, "The request was cancelled."),
        _ => (ErrorCode.UnknownServerError, error.Message),
    };
}
