using System.Security.Cryptography;
using CalSync.Engine.Auth;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Tests.Auth;

public sealed class TokenVaultTests
{
    internal static TokenVaultKey NewKey(string id) => new() { Id = id, Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    internal static TokenVault Vault(string? active = null, params TokenVaultKey[] keys) =>
        new(Options.Create(new TokenVaultOptions { Keys = keys, ActiveKeyId = active }));

    [Fact]
    public void EncryptDecrypt_RoundTripsAndCarriesKeyId()
    {
        var vault = Vault(null, NewKey("k1"));
        var binding = TokenBinding.RefreshToken(Guid.NewGuid());

        var ciphertext = vault.Encrypt("1//refresh-token", binding);

        Assert.Equal("1//refresh-token", vault.Decrypt(ciphertext, binding));
        Assert.Equal("k1", TokenVault.KeyIdOf(ciphertext));
        Assert.DoesNotContain("refresh-token"u8.ToArray(), Chunks(ciphertext, "refresh-token".Length));
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_GivesDifferentCiphertexts()
    {
        var vault = Vault(null, NewKey("k1"));
        var binding = TokenBinding.AccessToken(Guid.NewGuid());

        Assert.NotEqual(vault.Encrypt("t", binding), vault.Encrypt("t", binding));
    }

    [Fact]
    public void Decrypt_OtherAccountOrColumn_Fails()
    {
        var vault = Vault(null, NewKey("k1"));
        var account = Guid.NewGuid();
        var ciphertext = vault.Encrypt("secret", TokenBinding.RefreshToken(account));

        Assert.Throws<TokenVaultException>(() => vault.Decrypt(ciphertext, TokenBinding.RefreshToken(Guid.NewGuid())));
        Assert.Throws<TokenVaultException>(() => vault.Decrypt(ciphertext, TokenBinding.AccessToken(account)));
    }

    [Fact]
    public void Decrypt_TamperedCiphertext_Fails()
    {
        var vault = Vault(null, NewKey("k1"));
        var binding = TokenBinding.RefreshToken(Guid.NewGuid());
        var ciphertext = vault.Encrypt("secret", binding);
        ciphertext[^1] ^= 1;

        var error = Assert.Throws<TokenVaultException>(() => vault.Decrypt(ciphertext, binding));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_NewestKeyEncryptsAllKeysDecrypt()
    {
        var k1 = NewKey("k1");
        var k2 = NewKey("k2");
        var binding = TokenBinding.RefreshToken(Guid.NewGuid());
        var old = Vault(null, k1).Encrypt("secret", binding);

        var rotated = Vault(null, k1, k2);

        Assert.Equal("k2", rotated.ActiveKeyId);
        Assert.Equal("secret", rotated.Decrypt(old, binding));
        Assert.Equal("k2", TokenVault.KeyIdOf(rotated.Encrypt("secret", binding)));
        Assert.Equal("k1", Vault("k1", k1, k2).ActiveKeyId);
        Assert.Throws<TokenVaultException>(() => Vault(null, k2).Decrypt(old, binding));
    }

    [Theory]
    [InlineData("k1", "c2hvcnQ=", null)]
    [InlineData("", null, null)]
    [InlineData("k1", null, "missing")]
    public void Options_Invalid_AreRejected(string id, string? key, string? active)
    {
        var options = new TokenVaultOptions { Keys = [new TokenVaultKey { Id = id, Key = key ?? NewKey("x").Key }], ActiveKeyId = active };

        Assert.NotNull(options.Problem());
        Assert.Throws<OptionsValidationException>(() => new TokenVault(Options.Create(options)));
    }

    [Fact]
    public void KeyToString_DoesNotPrintKey()
    {
        var key = NewKey("k1");
        Assert.DoesNotContain(key.Key, key.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<byte[]> Chunks(byte[] data, int size) =>
        Enumerable.Range(0, Math.Max(0, data.Length - size + 1)).Select(i => data[i..(i + size)]);
}
