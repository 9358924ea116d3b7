namespace CalSync.Api.Dashboard;

/// <summary>
/// One direction's rules for the form's partial. <see cref="Prefix"/> is toTarget or toSource (ids and form names),
/// <see cref="Field"/> the API's path (copyToTarget); errors are looked up by the API's field paths under it.
/// </summary>
public sealed record CopyRuleFields(string Prefix, string Field, CopyRulesForm Rules, IDictionary<string, string[]> Errors)
{
    private readonly HashSet<string> _shown = [];

    /// <summary>The input name the model binder reads: <c>Form.ToTargetRules.Tentative</c>.</summary>
    public string Name(string member) => $"Form.{char.ToUpperInvariant(Prefix[0])}{Prefix[1..]}Rules.{member}";

    public string Id(string member) => $"{Prefix}-{member}";

    /// <summary>The messages for one API path under this direction (<c>filter.workingHours.to</c>), marked as shown.</summary>
    public IReadOnlyList<string> For(string path)
    {
        var key = $"{Field}.{path}";
        _shown.Add(key);
        return Errors.TryGetValue(key, out var messages) ? messages : [];
    }

    public bool HasErrors(string part) => Errors.Keys.Any(k => k.StartsWith($"{Field}.{part}.", StringComparison.Ordinal));

    /// <summary>Messages under <paramref name="part"/> (filter or look) that no input has shown.</summary>
    public IReadOnlyList<string> Rest(string part) =>
        [.. Errors.Where(e => e.Key.StartsWith($"{Field}.{part}", StringComparison.Ordinal) && !_shown.Contains(e.Key)).SelectMany(e => e.Value)];
}
