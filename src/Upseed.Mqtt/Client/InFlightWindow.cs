namespace Upseed.Mqtt.Client;

/// <summary>Counts QoS 1 messages in flight against a limit that a broker's Receive Maximum may change; waiters queue in order.</summary>
internal sealed class InFlightWindow
{
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _count;
    private int _limit;

    public InFlightWindow(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_count < _limit && _waiters.Count == 0)
            {
                _count++;
                return;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        try
        {
            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                // Granted just as the wait was cancelled: give the slot back.
                if (waiter.Task.IsCompletedSuccessfully)
                {
                    _count--;
                    GrantLocked();
                }
                else
                {
                    waiter.TrySetCanceled(cancellationToken);
                }
            }

            throw;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _count = Math.Max(0, _count - 1);
            GrantLocked();
        }
    }

    public void SetLimit(int limit)
    {
        lock (_gate)
        {
            _limit = Math.Max(1, limit);
            GrantLocked();
        }
    }

    public void FailAll(Exception exception)
    {
        lock (_gate)
        {
            while (_waiters.TryDequeue(out var waiter))
            {
                waiter.TrySetException(exception);
            }
        }
    }

    private void GrantLocked()
    {
        while (_count < _limit && _waiters.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult())
            {
                _count++;
            }
        }
    }
}
