using System.Text;

namespace CalSync.Engine.Google;

/// <summary>A percent-encoded query string; null values are left out.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _builder = new();

    public QueryString Add(string name, string? value)
    {
        if (value is not null)
        {
            _builder.Append(_builder.Length == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return this;
    }

    public override string ToString() => _builder.ToString();
}
