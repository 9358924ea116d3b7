using System.Net;
using System.Text;
using CalSync.GoogleEmulator.Store;
using Microsoft.AspNetCore.WebUtilities;

namespace CalSync.GoogleEmulator.OAuth;

/// <summary>The "Choose an account" page shown when no login_hint names a known account: each choice re-enters with a login_hint.</summary>
internal static class AccountPicker
{
    public static string Render(HttpRequest request, IReadOnlyList<Account> accounts)
    {
        var html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign in - Google Accounts (emulator)</title></head><body>");
        html.Append("<h1>Choose an account</h1><ul>");
        foreach (var account in accounts.OrderBy(a => a.Email, StringComparer.OrdinalIgnoreCase))
        {
            var query = request.Query.Where(kv => kv.Key != "login_hint").ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString());
            query["login_hint"] = account.Email;
            var href = QueryHelpers.AddQueryString(request.Path, query);
            html.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(href)).Append("\">")
                .Append(WebUtility.HtmlEncode(account.Name)).Append(" &lt;").Append(WebUtility.HtmlEncode(account.Email)).Append("&gt;</a></li>");
        }

        if (accounts.Count == 0)
        {
            html.Append("<li>No accounts yet: create one with POST /emulator/accounts.</li>");
        }

        var deny = request.Query.Where(kv => kv.Key != "login_hint").ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString());
        deny["deny"] = "1";
        html.Append("</ul><p><a href=\"").Append(WebUtility.HtmlEncode(QueryHelpers.AddQueryString(request.Path, deny)))
            .Append("\">Cancel (access_denied)</a></p>");
        return html.Append("</body></html>").ToString();
    }
}
