using System.ComponentModel.DataAnnotations;

namespace CalSync.Engine.Storage;

/// <summary>Where CalSync keeps its state (environment: <c>Database__ConnectionString</c>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the host starts (every host may; they serialise on a lock).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
