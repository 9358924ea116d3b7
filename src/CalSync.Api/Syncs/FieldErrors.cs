using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Syncs;

/// <summary>Validation failures keyed by the JSON path of the field (<c>source.calendarId</c>), as the 400 problem reports them.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Values.Sum(messages => messages.Count);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    public ValidationProblem ToProblem() =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "The request is not valid.");
}
