using System.Text.Json;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// An out-of-office or focus-time event's own settings are part of what CalSync compares, so an edit of only them
/// reaches a copy of that type; what means the same (absent, empty, "declineNone") compares the same.
/// </summary>
public sealed class EventContentSettingsTests
{
    private static GoogleEvent Away(string? properties) => new()
    {
        Id = "away", Summary = "Away", EventType = EventTypes.OutOfOffice,
        Start = new EventDateTime { DateTime = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero) },
        End = new EventDateTime { DateTime = new DateTimeOffset(2026, 12, 7, 17, 0, 0, TimeSpan.Zero) },
        OutOfOfficeProperties = properties is null ? null : JsonDocument.Parse(properties).RootElement,
    };

    [Theory]
    [InlineData(null, "{}")]
    [InlineData(null, """{"autoDeclineMode":"declineNone"}""")]
    [InlineData(null, """{"declineMessage":""}""")]
    [InlineData("""{"declineMessage":"On leave"}""", """{"autoDeclineMode":"declineNone","declineMessage":"On leave"}""")]
    [InlineData("""{"autoDeclineMode":"declineAllConflictingInvitations","declineMessage":"x"}""", """{"declineMessage":"x","autoDeclineMode":"declineAllConflictingInvitations"}""")]
    public void Settings_that_mean_the_same_compare_the_same(string? one, string other) =>
        Assert.Equal(EventContent.HashOf(Away(one)), EventContent.HashOf(Away(other)));

    [Theory]
    [InlineData(null, """{"autoDeclineMode":"declineAllConflictingInvitations"}""")]
    [InlineData("""{"autoDeclineMode":"declineAllConflictingInvitations"}""", """{"autoDeclineMode":"declineOnlyNewConflictingInvitations"}""")]
    [InlineData("""{"declineMessage":"On leave"}""", """{"declineMessage":"Back on Monday"}""")]
    [InlineData("""{"declineMessage":"a","autoDeclineMode":"declineAllConflictingInvitations"}""", """{"declineMessage":"declineAllConflictingInvitations","autoDeclineMode":"a"}""")]
    public void Settings_that_differ_compare_different(string? one, string other) =>
        Assert.NotEqual(EventContent.HashOf(Away(one)), EventContent.HashOf(Away(other)));

    [Fact]
    public void Without_settings_an_event_keeps_the_hash_it_had_before_they_counted()
    {
        // The hash of the same event's fields as stored before settings counted: only present settings extend it.
        var plain = Away(null) with { EventType = null };

        Assert.Equal(EventContent.HashOf(plain), EventContent.HashOf(Away("{}")));
        Assert.Equal(EventContent.HashOf(plain), EventContent.HashOf(Away("""{"autoDeclineMode":"declineAllConflictingInvitations"}""") with { EventType = EventTypes.Default }));
    }

    [Fact]
    public void Focus_times_chat_status_counts()
    {
        var focus = Away(null) with { EventType = EventTypes.FocusTime, FocusTimeProperties = JsonDocument.Parse("""{"chatStatus":"available"}""").RootElement };

        Assert.NotEqual(EventContent.HashOf(focus), EventContent.HashOf(focus with { FocusTimeProperties = JsonDocument.Parse("""{"chatStatus":"doNotDisturb"}""").RootElement }));
    }
}
