using System.ComponentModel.DataAnnotations;

namespace CalSync.Engine.Auth;

/// <summary>
/// Keys that encrypt Google tokens at rest (section <c>TokenVault</c>; environment
/// <c>TokenVault__Keys__0__Id</c>, <c>TokenVault__Keys__0__Key</c> = base64 of 32 random bytes). Add a key to
/// rotate: the newest (last listed, or <see cref="ActiveKeyId"/>) encrypts, every listed key decrypts.
/// </summary>
public sealed class TokenVaultOptions
{
    public const string SectionName = "TokenVault";

    [Required]
    [MinLength(1)]
    public IList<TokenVaultKey> Keys { get; init; } = [];

    /// <summary>Encrypts new ciphertexts; defaults to the last key listed.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>Why the options cannot work, or null when they can.</summary>
    public string? Problem()
    {
        if (Keys.Count == 0)
        {
            return "TokenVault:Keys needs at least one key.";
        }
        foreach (var key in Keys)
        {
            if (string.IsNullOrEmpty(key.Id) || key.Id.Length > 64 || !key.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return "Every TokenVault key needs an Id of 1-64 ASCII letters, digits, '-', '_' or '.'.";
            }
            if (TryDecode(key.Key) is null)
            {
                return $"TokenVault key '{key.Id}' must be the base64 encoding of exactly 32 bytes.";
            }
        }
        if (Keys.Select(k => k.Id).Distinct(StringComparer.Ordinal).Count() != Keys.Count)
        {
            return "TokenVault key ids must be unique.";
        }
        return ActiveKeyId is not null && Keys.All(k => k.Id != ActiveKeyId)
            ? $"TokenVault:ActiveKeyId '{ActiveKeyId}' names no configured key."
            : null;
    }

    internal static byte[]? TryDecode(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return null;
        }
        var buffer = new byte[48];
        return Convert.TryFromBase64String(base64, buffer, out var written) && written == 32 ? buffer[..32] : null;
    }
}

/// <summary>One AES-256 key and the id stored in front of every ciphertext it made.</summary>
public sealed class TokenVaultKey
{
    [Required]
    public string Id { get; set; } = "";

    /// <summary>Base64 of 32 random bytes (e.g. <c>openssl rand -base64 32</c>).</summary>
    [Required]
    public string Key { get; set; } = "";

    // The key is a secret: never print it.
    public override string ToString() => $"TokenVaultKey {{ Id = {Id} }}";
}
