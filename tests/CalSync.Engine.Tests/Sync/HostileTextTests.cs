using System.Text;
using CalSync.Engine.Storage;
using CalSync.Engine.Sync;
using CsCheck;
using static CalSync.Engine.Tests.Sync.PlannerFixture;

namespace CalSync.Engine.Tests.Sync;

/// <summary>Arbitrary Unicode (NUL, control characters, lone surrogates) in Google's text neither breaks planning nor storage.</summary>
public sealed class HostileTextTests
{
    // Every UTF-16 code unit, surrogates and NUL included, with a bias towards the troublesome ones.
    private static readonly Gen<string> AnyText = Gen.Frequency(
        (3, Gen.Char.Array[0, 40].Select(chars => new string(chars))),
        (1, Gen.OneOf(Gen.Const('\0'), Gen.Char['\uD800', '\uDFFF'], Gen.Char['\u0001', '\u001f']).Array[1, 8].Select(chars => new string(chars))));

    [Fact]
    public void Plan_AnyTextInOriginsAndCopies_PlansWithoutThrowingAndCopiesTheTextAsIs()
    {
        Gen.Select(AnyText, AnyText, AnyText).Sample((summary, description, edited) =>
        {
            var sync = TwoWay();
            var origin = Event("o1", summary) with { Description = description };
            var copy = CopyOf(sync, origin);

            var fresh = SyncPlanner.Plan(Input(sync, a: [origin]));
            var changed = SyncPlanner.Plan(Input(sync, a: [origin], b: [copy with { Summary = edited, Etag = "\"c2\"" }], links: [LinkOf(origin, copy)]));

            var create = Assert.IsType<CreateCopy>(Assert.Single(fresh.Actions));
            Assert.Equal((summary, description), (create.Body.Summary, create.Body.Description));
            // Two-way, the copy's new title travels back to the origin as it is, unless it said nothing new: content is
            // compared as the UTF-8 Google keeps, where every lone surrogate reads as the same replacement character.
            if (edited.Length > 0 && !Encoding.UTF8.GetBytes(edited).SequenceEqual(Encoding.UTF8.GetBytes(summary)))
            {
                Assert.Equal(edited, Assert.Single(changed.Actions.OfType<PatchOrigin>()).Patch.Changes.Summary);
            }
        }, iter: 2_000);
    }

    [Fact]
    public void Clean_AnyText_DropsNulAndReplacesLoneSurrogatesOnly()
    {
        AnyText.Sample(text =>
        {
            // The BCL's own reading of UTF-16: each lone surrogate is one replacement character.
            var expected = string.Concat(text.EnumerateRunes().Where(r => r.Value != 0).Select(r => r.ToString()));

            var cleaned = StoredText.Clean(text)!;

            Assert.Equal(expected, cleaned);
            _ = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(cleaned); // Encodable as PostgreSQL's UTF-8.
        }, iter: 5_000);
    }
}
