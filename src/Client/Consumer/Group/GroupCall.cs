namespace Orlog.Client;

/// <summary>A call to the group's coordinator, bounded by request.timeout.ms, with transport failures as Kafka errors.</summary>
internal static class GroupCall
{
    public static async Task<T> RunAsync<T>(Task<T> call, string? groupId, int requestTimeoutMs, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(TimeSpan.FromMilliseconds(requestTimeoutMs), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException error)
        {
            throw new KafkaException(ErrorCode.RequestTimedOut, $"Group '{groupId}' did not answer within request.timeout.ms ({requestTimeoutMs}).", error);
        }
        catch (OrleansException error)
        {
            throw new KafkaException(ErrorCode.NetworkException, $"The request to group '{groupId}' failed: {error.Message}", error);
        }
    }
}
