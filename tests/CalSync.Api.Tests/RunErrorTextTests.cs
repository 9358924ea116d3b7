using CalSync.Api.Dashboard;

namespace CalSync.Api.Tests;

/// <summary>A failed run's stored error, as the engine words it, becomes a sentence a person can act on; the stored text stays as detail.</summary>
public sealed class RunErrorTextTests
{
    [Theory]
    [InlineData("Google Calendar calendar.events.list failed: 404 notFound: Not Found", "does not exist any more")]
    [InlineData("Google Calendar calendar.events.insert failed: 403 requiredAccessLevel: You need to have writer access to this calendar.", "may only read this calendar")]
    [InlineData("Google Calendar calendar.events.list failed: 403 rateLimitExceeded: Rate Limit Exceeded", "usage limit")]
    [InlineData("Google Calendar calendar.events.list failed: 401 authError: Invalid Credentials", "Reconnect the account")]
    [InlineData("Gave up after 5 attempts: Google Calendar calendar.events.list failed: 503 backendError: Backend Error", "CalSync tried 5 times and gave up. Google had trouble answering")]
    [InlineData("Unexpected error (NullReferenceException): Object reference not set to an instance of an object.", "Something unexpected went wrong inside CalSync")]
    public void Stored_errors_read_as_words_and_keep_the_message_as_detail(string stored, string expected)
    {
        var text = RunErrorText.Describe(stored);

        Assert.Contains(expected, text.Words, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text.Words, StringComparison.Ordinal);
        Assert.DoesNotContain("failed:", text.Words, StringComparison.Ordinal);
        Assert.Equal(stored, text.Detail);
    }

    [Fact]
    public void An_error_that_is_a_sentence_already_is_shown_as_it_is()
    {
        const string stored = "Google account 0b8e must be connected again: Google no longer accepts its authorisation.";

        var text = RunErrorText.Describe(stored);

        Assert.Equal(stored, text.Words);
        Assert.Null(text.Detail);
    }
}
