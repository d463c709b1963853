namespace Orlog.Log.Producers;

/// <summary>Where one of a producer's recent batches landed: its sequences and its offsets.</summary>
public readonly record struct ProducerBatch(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset);
