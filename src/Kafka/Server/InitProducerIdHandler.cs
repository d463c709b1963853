using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's InitProducerId for idempotent producers: a new producer id at epoch 0 from the cluster's producer-id
/// allocator (the one the SDK uses). A producer that asks again with its id and epoch (KIP-360, after an unknown
/// producer id) gets a new id too. Transactional ids are refused until transactions exist.
/// </summary>
internal static class InitProducerIdHandler
{
    public static async Task<InitProducerIdResponse> HandleAsync(InitProducerIdRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        if (request.TransactionalId is not null)
        {
            return new InitProducerIdResponse { ErrorCode = (short)ErrorCode.TransactionalIdAuthorizationFailed, ProducerId = -1, ProducerEpoch = -1 };
        }
        try
        {
            var id = await backend.InitProducerIdAsync(cancellationToken);
            return new InitProducerIdResponse { ErrorCode = (short)id.Error, ProducerId = id.Error == ErrorCode.None ? id.ProducerId : -1, ProducerEpoch = id.Error == ErrorCode.None ? id.ProducerEpoch : (short)-1 };
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (code, _) = BackendFailure.Describe(error);
            // The allocator lives on one silo: its silo going away is worth a retry, as COORDINATOR_NOT_AVAILABLE.
            return new InitProducerIdResponse { ErrorCode = (short)(code == ErrorCode.UnknownServerError ? ErrorCode.CoordinatorNotAvailable : code), ProducerId = -1, ProducerEpoch = -1 };
        }
    }
}
