using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;

namespace CalSync.Api.Syncs;

/// <summary>The strings a property takes on the wire (<c>one-way</c>, <c>origin-wins</c>, ...), listed as its OpenAPI <c>enum</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WireValuesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

public static class WireValues
{
    /// <summary>
    /// Enum-like strings stay strings in C# (so a wrong one is a clear 400 of ours, not a serializer error), and this
    /// puts their values in the schema all the same.
    /// </summary>
    public static OpenApiOptions AddWireValues(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(WireValuesAttribute), inherit: false) is [WireValuesAttribute wire, ..])
            {
                schema.Enum = [.. wire.Values.Select(v => (JsonNode)JsonValue.Create(v))];
            }
            return Task.CompletedTask;
        });
    }
}
