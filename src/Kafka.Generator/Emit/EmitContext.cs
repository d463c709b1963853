using Orlog.Kafka.Generator.Schema;

namespace Orlog.Kafka.Generator.Emit;

/// <summary>What the emitters need to know about the class being written.</summary>
internal sealed class EmitContext
{
    public const string Runtime = "global::Orlog.Kafka.Protocol.";

    public EmitContext(ApiSpec api, MessageSpec message, string className)
    {
        Api = api;
        Message = message;
        ClassName = className;
        Flexible = Cond.For(message.Flexible, api.Versions);
    }

    public ApiSpec Api { get; }

    public MessageSpec Message { get; }

    /// <summary>The class being written: the message's or a struct's (short name).</summary>
    public string ClassName { get; }

    /// <summary>When the message is flexible.</summary>
    public Cond Flexible { get; }

    /// <summary>The expression that says whether strings, bytes and arrays are compact here.</summary>
    public string Compact => Flexible.IsNever ? "false" : "flexible";

    public Cond When(VersionRange range) => Cond.For(range, Api.Versions);

    /// <summary>Whether the version is in <paramref name="range"/>, where it is known to be in <paramref name="within"/>.</summary>
    public Cond When(VersionRange range, VersionRange within) => Cond.For(range, within.Intersect(Api.Versions));

    /// <summary>A field's name for messages: <c>MetadataRequest.Topics</c>.</summary>
    public string Describe(FieldSpec field) => FieldCode.StringLiteral(ClassName + "." + field.Name);
}
