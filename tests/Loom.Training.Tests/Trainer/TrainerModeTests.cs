namespace Loom.Training.Tests.Trainer;

/// <summary>The trainer's train/eval switch: dropout on for every step, off for evaluation and after training.</summary>
public sealed class TrainerModeTests
{
    [Fact]
    public void Steps_run_in_training_mode_evaluation_and_the_returned_model_in_eval_mode()
    {
        var model = new TinyLm(seed: 4, dropout: 0.3f);
        var batch = new RandomWindowSource(TinyLm.Stream(64), batchSize: 2, blockSize: 8, seed: 5).Next();
        var modes = new List<bool>();
        var trainable = model.AsTrainable(b =>
        {
            modes.Add(model.Weights.Training);
            return model.Loss(b);
        });
        Assert.False(model.Weights.Training); // a fresh tree is in eval mode
        var trainer = new Trainer<LmBatch>(trainable, new FixedBatchSource(batch), new TrainerOptions { MaxSteps = 4, EvalEvery = 2 }, [batch]);
        trainer.Train();

        Assert.Equal([true, true, false, true, true, false], modes); // step 1, 2, eval, step 3, 4, eval
        Assert.False(model.Weights.Training);
        Assert.Equal(trainer.Evaluate()["eval_loss"], trainer.Evaluate()["eval_loss"]); // no dropout when evaluating
        Assert.False(model.Weights.Training);
    }
}
