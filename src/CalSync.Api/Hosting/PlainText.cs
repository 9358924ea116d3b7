using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CalSync.Api.Hosting;

/// <summary>
/// Text a person can type: no control characters (NUL, tab, line breaks, C1) and no unpaired UTF-16 surrogates.
/// PostgreSQL refuses NUL in text and response headers refuse control characters, so such input is a 400 naming the
/// field rather than a 500 later on.
/// </summary>
public static class PlainText
{
    public const string Rule = "Text may not contain control characters (such as NUL, tab or line breaks) or unpaired surrogates.";

    public static bool IsPlain(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Checks every string member of every request body as it is read. The serializer fills in the JSON path of the
    /// exception, so <see cref="BadRequestProblems"/> names the field (<c>copyToTarget.placeholder</c>).
    /// </summary>
    public static void RefuseInStrings(JsonTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var property in type.Properties)
        {
            if (property.PropertyType == typeof(string) && property.Set is { } set)
            {
                property.Set = (target, value) =>
                {
                    if (value is string text && !IsPlain(text))
                    {
                        throw new JsonException(Rule);
                    }
                    set(target, value);
                };
            }
        }
    }
}
