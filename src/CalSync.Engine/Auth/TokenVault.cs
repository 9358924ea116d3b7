using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Auth;

/// <summary>
/// Encrypts Google tokens with AES-256-GCM. A ciphertext is
/// <c>version(1) | keyIdLength(1) | keyId | nonce(12) | tag(16) | data</c>, and its associated data binds it to
/// one row and column (<see cref="TokenBinding"/>), so a ciphertext copied onto another account fails to decrypt.
/// </summary>
public sealed class TokenVault
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _keys;

    public TokenVault(IOptions<TokenVaultOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        if (o.Problem() is { } problem)
        {
            throw new OptionsValidationException(TokenVaultOptions.SectionName, typeof(TokenVaultOptions), [problem]);
        }
        _keys = o.Keys.ToDictionary(k => k.Id, k => TokenVaultOptions.TryDecode(k.Key)!, StringComparer.Ordinal);
        ActiveKeyId = o.ActiveKeyId ?? o.Keys[^1].Id;
    }

    /// <summary>The key new ciphertexts are made with.</summary>
    public string ActiveKeyId { get; }

    public byte[] Encrypt(string plaintext, TokenBinding binding)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var keyId = Encoding.ASCII.GetBytes(ActiveKeyId);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[2 + keyId.Length + NonceSize + TagSize + data.Length];
        output[0] = Version;
        output[1] = (byte)keyId.Length;
        keyId.CopyTo(output, 2);
        var offset = 2 + keyId.Length;
        var nonce = output.AsSpan(offset, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[ActiveKeyId], TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(offset + NonceSize + TagSize), output.AsSpan(offset + NonceSize, TagSize), binding.AssociatedData(ActiveKeyId));
        CryptographicOperations.ZeroMemory(data);
        return output;
    }

    /// <summary>Decrypts with whichever configured key made the ciphertext; throws <see cref="TokenVaultException"/> if it cannot.</summary>
    public string Decrypt(byte[] ciphertext, TokenBinding binding)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var keyId = KeyIdOf(ciphertext);
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new TokenVaultException($"A token of {binding} was encrypted with key '{keyId}', which is not configured.");
        }
        var offset = 2 + ciphertext[1];
        var nonce = ciphertext.AsSpan(offset, NonceSize);
        var tag = ciphertext.AsSpan(offset + NonceSize, TagSize);
        var data = ciphertext.AsSpan(offset + NonceSize + TagSize);
        var plain = new byte[data.Length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, data, tag, plain, binding.AssociatedData(keyId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new TokenVaultException($"A token of {binding} does not decrypt: it was altered or belongs to another row.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>The id of the key that made <paramref name="ciphertext"/>.</summary>
    public static string KeyIdOf(byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (ciphertext.Length < 2 || ciphertext[0] != Version || ciphertext.Length < 2 + ciphertext[1] + NonceSize + TagSize)
        {
            throw new TokenVaultException("A stored token is not a CalSync ciphertext.");
        }
        return Encoding.ASCII.GetString(ciphertext, 2, ciphertext[1]);
    }
}

/// <summary>The row and column a ciphertext belongs to; part of its associated data.</summary>
public readonly record struct TokenBinding(Guid AccountId, string Column)
{
    public static TokenBinding RefreshToken(Guid accountId) => new(accountId, "refresh_token");

    public static TokenBinding AccessToken(Guid accountId) => new(accountId, "access_token");

    internal byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes($"calsync/v1|{keyId}|google_accounts|{AccountId:N}|{Column}");

    public override string ToString() => $"google_accounts {AccountId} {Column}";
}

/// <summary>A stored token cannot be decrypted: a missing key or a tampered or misplaced ciphertext. Not retryable.</summary>
public sealed class TokenVaultException(string message) : Exception(message);
