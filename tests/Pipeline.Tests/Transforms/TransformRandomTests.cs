using Pipeline.Core.Transforms;

namespace Pipeline.Tests.Transforms;

public class TransformRandomTests
{
    private static ulong[] Draw(TransformRandom random, int count) => Enumerable.Range(0, count).Select(_ => random.NextUInt64()).ToArray();

    [Fact]
    public void SameSeedSameSequenceOtherSeedOtherSequence()
    {
        Assert.Equal(Draw(new TransformRandom(42), 16), Draw(new TransformRandom(42), 16));
        Assert.NotEqual(Draw(new TransformRandom(42), 16), Draw(new TransformRandom(43), 16));
    }

    [Fact]
    public void StreamsDependOnEveryPartAndRepeat()
    {
        Assert.Equal(Draw(TransformRandom.ForStream(5, 1, 2), 8), Draw(TransformRandom.ForStream(5, 1, 2), 8));
        var streams = new[] { TransformRandom.ForStream(5, 1, 2), TransformRandom.ForStream(5, 2, 1), TransformRandom.ForStream(6, 1, 2), TransformRandom.ForStream(5, 1) }
            .Select(random => random.NextUInt64()).ToArray();
        Assert.Equal(streams.Length, streams.Distinct().Count());
    }

    [Fact]
    public void BoundedDrawsStayInRangeAndCoverItEvenly()
    {
        var random = new TransformRandom(9);
        var counts = new int[7];
        for (var draw = 0; draw < 7000; draw++) counts[random.NextLong(7)]++;
        Assert.All(counts, count => Assert.InRange(count, 850, 1150));
        for (var draw = 0; draw < 1000; draw++)
        {
            var value = random.Uniform(-2, 3);
            Assert.InRange(value, -2, 3);
            Assert.True(value < 3);
        }
        Assert.False(random.Chance(0));
        Assert.True(random.Chance(1));
    }
}
