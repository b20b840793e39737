namespace Loom.Tokenizers.Models;

/// <summary>A binary min-heap of candidate merges ordered by (rank, position), packed in one 64-bit key.</summary>
internal struct MergeHeap
{
    private (long Key, int NewId)[] _items;
    private int _count;

    public MergeHeap(int capacity) => _items = new (long, int)[Math.Max(4, capacity)];

    public void Push(int rank, int pos, int newId)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        long key = ((long)rank << 32) | (uint)pos;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_items[parent].Key <= key)
            {
                break;
            }

            _items[i] = _items[parent];
            i = parent;
        }

        _items[i] = (key, newId);
    }

    public bool TryPop(out int rank, out int pos, out int newId)
    {
        if (_count == 0)
        {
            rank = pos = newId = 0;
            return false;
        }

        var top = _items[0];
        rank = (int)(top.Key >> 32);
        pos = (int)top.Key;
        newId = top.NewId;
        var last = _items[--_count];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _items[child + 1].Key < _items[child].Key)
            {
                child++;
            }

            if (_items[child].Key >= last.Key)
            {
                break;
            }

            _items[i] = _items[child];
            i = child;
        }

        _items[i] = last;
        return true;
    }
}
