using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace CalSync.Api.Dashboard;

/// <summary>The error messages shown under an input, with the id its <c>aria-describedby</c> points at.</summary>
public static class FieldErrorHtml
{
    public static IHtmlContent For(string inputId, IReadOnlyList<string> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return HtmlString.Empty;
        }
        var html = new HtmlContentBuilder();
        html.AppendHtml($"<ul class=\"field-error\" id=\"{inputId}-error\">");
        foreach (var message in messages)
        {
            html.AppendHtml("<li>").AppendHtml(HtmlEncoder.Default.Encode(message)).AppendHtml("</li>");
        }
        return html.AppendHtml("</ul>");
    }

    /// <summary>The attributes marking an input invalid and tying it to its messages (none when it has no errors).</summary>
    public static IHtmlContent Attributes(string inputId, IReadOnlyList<string> messages) =>
        messages is { Count: > 0 } ? new HtmlString($"aria-invalid=\"true\" aria-describedby=\"{inputId}-error\"") : HtmlString.Empty;

    /// <summary>For a group of radios: the messages describe the group (aria-invalid belongs on inputs).</summary>
    public static IHtmlContent GroupAttributes(string groupId, IReadOnlyList<string> messages) =>
        messages is { Count: > 0 } ? new HtmlString($"aria-describedby=\"{groupId}-error\"") : HtmlString.Empty;
}
