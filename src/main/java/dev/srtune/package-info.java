/** srtune runtime: fine-tuning loop ({@code tune}), models, images, metrics, reports and the CLI. */
package dev.srtune;
