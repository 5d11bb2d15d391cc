package dev.jgan.spark;

import java.io.Serializable;

/**
 * What one replica's task returns after its iterations of a round.
 *
 * @param worker the replica (partition) index
 * @param startFingerprint {@link ReplicaState#fingerprint()} of the state it started the round from
 * @param state its state after the round
 * @param steps iterations it trained this round
 * @param discriminatorLoss sum of D's loss over those iterations
 * @param generatorLoss sum of G's loss
 * @param realScore sum of mean D(x)
 * @param fakeScore sum of mean D(G(z))
 * @param computeNanos time spent training (after the state was restored)
 */
record ReplicaResult(int worker, int startFingerprint, ReplicaState state, int steps, double discriminatorLoss,
                     double generatorLoss, double realScore, double fakeScore, long computeNanos)
        implements Serializable {}
