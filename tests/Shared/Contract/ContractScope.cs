using AsyaSocket.Core.Transport;

namespace AsyaSocket.Testing.Contract;

/// <summary>
/// What most contract tests start from: their mesh, their actor, a receiver listening as it and a sender.
/// Disposing releases all of it; a receiver the test already stopped is disposed again, which must be harmless.
/// </summary>
internal sealed class ContractScope(ITestMesh mesh, string actor, IAsyaReceiver receiver, IAsyaSender sender) : IAsyncDisposable
{
    public void Deconstruct(out ITestMesh testMesh, out string testActor, out IAsyaReceiver testReceiver, out IAsyaSender testSender)
    {
        testMesh = mesh;
        testActor = actor;
        testReceiver = receiver;
        testSender = sender;
    }

    public async ValueTask DisposeAsync()
    {
        await sender.DisposeAsync();
        await receiver.DisposeAsync();
        await mesh.DisposeAsync();
    }
}
