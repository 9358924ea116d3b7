using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Syncs;

/// <summary>How many items a page of a list holds: <c>limit</c> as asked, else the list's default; outside 1 to the list's maximum, a 400 naming <c>limit</c>.</summary>
public readonly record struct PageLimit(int Default, int Max)
{
    public int? Take(int? limit) => (limit ?? Default) is var take && take >= 1 && take <= Max ? take : null;

    public ValidationProblem Problem()
    {
        var errors = new FieldErrors();
        errors.Add("limit", $"limit is from 1 to {Max}.");
        return errors.ToProblem();
    }
}
