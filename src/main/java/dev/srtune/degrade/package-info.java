/** Making LR images (and the bicubic baseline) on the host by running the degradation graph ops once. */
package dev.srtune.degrade;
