namespace CalSync.Engine.Google;

/// <summary>Google's rule for client-chosen event ids: base32hex (<c>a-v</c>, <c>0-9</c>), 5 to 1024 characters.</summary>
public static class EventIds
{
    public static bool IsValid(string? id) =>
        id is { Length: >= 5 and <= 1024 } && id.All(c => c is (>= 'a' and <= 'v') or (>= '0' and <= '9'));

    internal static void ThrowIfInvalid(string? id)
    {
        if (!IsValid(id))
        {
            throw new ArgumentException(
                "An inserted event needs a client-chosen id of 5-1024 base32hex characters (a-v, 0-9), so that retrying it cannot duplicate it.",
                nameof(id));
        }
    }
}
