/** Finding, fetching, building and loading SR SavedModels that meet the srtune signature contract. */
package dev.srtune.model;
