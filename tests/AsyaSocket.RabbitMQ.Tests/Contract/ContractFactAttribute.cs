namespace AsyaSocket.Testing.Contract;

/// <summary>The contract's tests here need the test broker: skipped with the reason when there is none (never in CI).</summary>
public sealed class ContractFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> from the test broker's skip reason.</summary>
    public ContractFactAttribute()
    {
        if (AsyaSocket.RabbitMQ.Tests.TestBroker.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
