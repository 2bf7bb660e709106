using Pipeline.Plugins.Priors.Bfr;

namespace Pipeline.Tests.Priors;

public sealed class BfrOptionsTests
{
    [Fact]
    public void DefaultsAreThePapersPriorInReparamModeAndValid()
    {
        var options = new BfrOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(1, options.Alpha);
        Assert.Equal(BfrMode.Reparam, options.Mode);
        Assert.Equal(7, options.MinKernelSize);
    }

    public static IEnumerable<object[]> InvalidOptions() => new[]
    {
        new object[] { new BfrOptions { Alpha = 0 }, "alpha", "positive finite" },
        new object[] { new BfrOptions { Alpha = -1 }, "alpha", "positive finite" },
        new object[] { new BfrOptions { Alpha = double.NaN }, "alpha", "positive finite" },
        new object[] { new BfrOptions { Alpha = double.PositiveInfinity }, "alpha", "positive finite" },
        new object[] { new BfrOptions { Mode = (BfrMode)5 }, "mode", "reparam or official" },
        new object[] { new BfrOptions { MinKernelSize = 0 }, "min_kernel_size", "must be positive" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void ReportsEachProblemUnderItsSnakeCaseKey(BfrOptions options, string key, string messagePart)
    {
        var problem = Assert.Single(options.Validate().ToList());
        Assert.Equal(key, problem.Key);
        Assert.Contains(messagePart, problem.Message);
    }

    [Fact]
    public void EveryPropertyIsDescribed() =>
        Assert.DoesNotContain(typeof(BfrOptions).GetProperties(),
            p => p.CanWrite && p.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false).Length == 0);
}
