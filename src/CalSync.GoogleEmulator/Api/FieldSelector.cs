using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.Api;

/// <summary>
/// The standard <c>fields</c> parameter: a partial-response selector such as
/// <c>nextSyncToken,items(id,etag,start/dateTime)</c>. Only the selected members are returned.
/// </summary>
internal sealed class FieldSelector
{
    private readonly Dictionary<string, FieldSelector?> _members = new(StringComparer.Ordinal);

    /// <summary>Null when the selector does not parse.</summary>
    public static FieldSelector? Parse(string text)
    {
        var selector = new FieldSelector();
        var position = 0;
        return selector.ParseList(text, ref position) && position == text.Length ? selector : null;
    }

    public JsonNode? Apply(JsonNode? node) => node switch
    {
        JsonObject obj => ApplyToObject(obj),
        JsonArray array => new JsonArray([.. array.Select(Apply)]),
        _ => node?.DeepClone(),
    };

    private JsonObject ApplyToObject(JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (_members.TryGetValue(key, out var sub))
            {
                result[key] = sub is null ? value?.DeepClone() : sub.Apply(value);
            }
        }

        return result;
    }

    private bool ParseList(string text, ref int position)
    {
        while (ParseItem(text, ref position))
        {
            if (position >= text.Length || text[position] != ',')
            {
                return true;
            }

            position++;
        }

        return false;
    }

    /// <summary>name[/name…][(list)]: a path selects nested members, parentheses select several.</summary>
    private bool ParseItem(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && text[position] is not (',' or '(' or ')' or '/'))
        {
            position++;
        }

        var name = text[start..position].Trim();
        if (name.Length == 0)
        {
            return false;
        }

        if (position < text.Length && text[position] == '/')
        {
            position++;
            var nested = Child(name) ?? new FieldSelector();
            _members[name] = nested;
            return nested.ParseItem(text, ref position);
        }

        if (position < text.Length && text[position] == '(')
        {
            position++;
            var nested = Child(name) ?? new FieldSelector();
            _members[name] = nested;
            if (!nested.ParseList(text, ref position) || position >= text.Length || text[position] != ')')
            {
                return false;
            }

            position++;
            return true;
        }

        _members[name] = null;
        return true;
    }

    private FieldSelector? Child(string name) => _members.TryGetValue(name, out var existing) ? existing : null;
}
