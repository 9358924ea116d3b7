using CalSync.Engine.People;
using Microsoft.AspNetCore.Mvc;

namespace CalSync.Api.Dashboard.Pages.Tokens;

/// <summary>Personal access tokens: create (the secret shown once), list, revoke.</summary>
public sealed class IndexModel(AccessTokenStore tokens) : DashboardPage
{
    public IReadOnlyList<AccessToken> Tokens { get; private set; } = [];

    /// <summary>The secret of the token just created: on this one response only.</summary>
    public string? NewSecret { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Tokens = await tokens.ListAsync(UserId, cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            Errors["name"] = ["The name must be 1 to 100 characters, not blank."];
        }
        else
        {
            (_, NewSecret) = await tokens.CreateAsync(UserId, trimmed, expiresAt: null, cancellationToken);
        }
        Tokens = await tokens.ListAsync(UserId, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await tokens.RevokeAsync(UserId, id, cancellationToken))
        {
            return NotFound();
        }
        Notice = "The token is revoked: it stopped working at once.";
        return RedirectToPage();
    }
}
