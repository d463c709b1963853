namespace Orlog.Client;

/// <summary>What a serializer or deserializer is working on: the topic, the key or the value, and the record's headers.</summary>
/// <param name="Component">The key or the value.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Headers">The record's headers, or null (a consumer does not build them for deserializers).</param>
public readonly record struct SerializationContext(MessageComponentType Component, string Topic, Headers? Headers = null);
