namespace CalSync.GoogleEmulator.Api;

/// <summary>A raw query string with repeated keys kept (eventTypes=a&amp;eventTypes=b).</summary>
internal sealed class QueryParams
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static QueryParams Parse(string? query)
    {
        var result = new QueryParams();
        result.Add(query);
        return result;
    }

    public void Add(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return;
        }

        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            if (!_values.TryGetValue(key, out var list))
            {
                _values[key] = list = [];
            }

            list.Add(value);
        }
    }

    public string? this[string name] => _values.TryGetValue(name, out var list) ? list[0] : null;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>Google's boolean parsing: "true"/"false"; anything else is a 400.</summary>
    public bool? Bool(string name, out bool invalid)
    {
        invalid = false;
        var text = this[name];
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        invalid = true;
        return null;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
