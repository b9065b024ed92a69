// @ts-check

/**
 * The audit records of operations on Crossplane objects, kept for each
 * object's timeline.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('audit_records', table => {
    table.comment('Operations on Crossplane objects, for their timelines');
    table.bigIncrements('id').primary();
    table
      .string('object_key', 1024)
      .notNullable()
      .comment('objectIdKey: cluster, group, kind, namespace and name');
    table.string('object', 1024).notNullable().comment('For people');
    table.string('action', 64).notNullable();
    table.string('actor', 512).notNullable();
    table.string('outcome', 16).notNullable().comment('succeeded or failed');
    table.text('error').nullable().comment('The message, never a stack');
    table.boolean('dry_run').notNullable().defaultTo(false);
    table.string('occurred_at', 32).notNullable().comment('RFC 3339');
    table.index(['object_key', 'occurred_at'], 'audit_records_object_idx');
    table.index(['occurred_at'], 'audit_records_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('audit_records');
};
