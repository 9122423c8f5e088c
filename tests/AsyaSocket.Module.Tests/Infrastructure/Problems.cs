namespace AsyaSocket.Module.Tests;

/// <summary>Checks that look at every cmdlet collect their problems, so one run names every offender.</summary>
public static class Problems
{
    /// <summary>Fails with every problem on its own line, or passes when there is none.</summary>
    public static void AssertNone(IEnumerable<string> problems, string what)
    {
        var list = problems.ToList();
        if (list.Count > 0)
        {
            Assert.Fail($"{what}:\n  " + string.Join("\n  ", list));
        }
    }
}
