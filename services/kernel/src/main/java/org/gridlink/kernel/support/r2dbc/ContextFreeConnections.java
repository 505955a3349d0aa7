package org.gridlink.kernel.support.r2dbc;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The database driver's work done without the caller's Reactor context. With Micrometer's context-propagation library
 * on the class path (Spring Boot's tracing brings it), Reactor restores every thread-local the context holds a value
 * for around each value that passes a {@code handle} or {@code tap} operator: the request's observation (an
 * observation scope opened and closed, with the tracer's scope and the logging context), its exchange and its security
 * context. r2dbc-postgresql passes each message from the server (a row, a row's description, a statement's end)
 * through two {@code handle} operators, so a queue page of 20 records restored them some fifty times, and each time
 * built a map of the values it replaced (issue 8: without them a community node's 20-record queue page left 356 KB of
 * garbage instead of 431-448 KB, and took 8-14% less of its CPU in two runs, on {@code run-local.sh}). Nothing in the
 * driver reads those thread-locals, and Spring's transactions live in the context above the driver, where
 * {@code DatabaseClient} and the transaction manager find their connection; so each of the driver's publishers is
 * subscribed here with an empty context instead.
 *
 * <p>Applied to the driver's connection factory, under the pool (see {@code KernelConfiguration}); every connection,
 * statement, batch and result it gives out is one of these, and {@link Wrapped#unwrap()} gives the driver's own.
 */
public final class ContextFreeConnections implements ConnectionFactory, Wrapped<ConnectionFactory> {

    private final ConnectionFactory driver;

    private ContextFreeConnections(ConnectionFactory driver) {
        this.driver = driver;
    }

    /** The driver's connection factory, its publishers subscribed without the caller's context. */
    public static ConnectionFactory of(ConnectionFactory driver) {
        return driver instanceof ContextFreeConnections ? driver : new ContextFreeConnections(driver);
    }

    /** The publisher, subscribed with an empty context whatever its subscriber's. */
    static <T> Flux<T> withoutContext(Publisher<T> publisher) {
        return Flux.from(publisher).contextWrite(ignored -> Context.empty());
    }

    static <T> Mono<T> oneWithoutContext(Publisher<T> publisher) {
        return Mono.from(publisher).contextWrite(ignored -> Context.empty());
    }

    @Override
    public Publisher<? extends Connection> create() {
        return oneWithoutContext(driver.create()).map(ContextFreeConnection::new);
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return driver.getMetadata();
    }

    @Override
    public ConnectionFactory unwrap() {
        return driver;
    }

    @Override
    public String toString() {
        return "ContextFreeConnections[" + driver + "]";
    }

    private record ContextFreeConnection(Connection connection) implements Connection, Wrapped<Connection> {

        @Override
        public Publisher<Void> beginTransaction() {
            return oneWithoutContext(connection.beginTransaction());
        }

        @Override
        public Publisher<Void> beginTransaction(TransactionDefinition definition) {
            return oneWithoutContext(connection.beginTransaction(definition));
        }

        @Override
        public Publisher<Void> close() {
            return oneWithoutContext(connection.close());
        }

        @Override
        public Publisher<Void> commitTransaction() {
            return oneWithoutContext(connection.commitTransaction());
        }

        @Override
        public Batch createBatch() {
            return new ContextFreeBatch(connection.createBatch());
        }

        @Override
        public Publisher<Void> createSavepoint(String name) {
            return oneWithoutContext(connection.createSavepoint(name));
        }

        @Override
        public Statement createStatement(String sql) {
            return new ContextFreeStatement(connection.createStatement(sql));
        }

        @Override
        public boolean isAutoCommit() {
            return connection.isAutoCommit();
        }

        @Override
        public ConnectionMetadata getMetadata() {
            return connection.getMetadata();
        }

        @Override
        public IsolationLevel getTransactionIsolationLevel() {
            return connection.getTransactionIsolationLevel();
        }

        @Override
        public Publisher<Void> releaseSavepoint(String name) {
            return oneWithoutContext(connection.releaseSavepoint(name));
        }

        @Override
        public Publisher<Void> rollbackTransaction() {
            return oneWithoutContext(connection.rollbackTransaction());
        }

        @Override
        public Publisher<Void> rollbackTransactionToSavepoint(String name) {
            return oneWithoutContext(connection.rollbackTransactionToSavepoint(name));
        }

        @Override
        public Publisher<Void> setAutoCommit(boolean autoCommit) {
            return oneWithoutContext(connection.setAutoCommit(autoCommit));
        }

        @Override
        public Publisher<Void> setLockWaitTimeout(Duration timeout) {
            return oneWithoutContext(connection.setLockWaitTimeout(timeout));
        }

        @Override
        public Publisher<Void> setStatementTimeout(Duration timeout) {
            return oneWithoutContext(connection.setStatementTimeout(timeout));
        }

        @Override
        public Publisher<Void> setTransactionIsolationLevel(IsolationLevel level) {
            return oneWithoutContext(connection.setTransactionIsolationLevel(level));
        }

        @Override
        public Publisher<Boolean> validate(ValidationDepth depth) {
            return oneWithoutContext(connection.validate(depth));
        }

        @Override
        public Connection unwrap() {
            return connection;
        }
    }

    private record ContextFreeStatement(Statement statement) implements Statement, Wrapped<Statement> {

        @Override
        public Statement add() {
            statement.add();
            return this;
        }

        @Override
        public Statement bind(int index, Object value) {
            statement.bind(index, value);
            return this;
        }

        @Override
        public Statement bind(String name, Object value) {
            statement.bind(name, value);
            return this;
        }

        @Override
        public Statement bindNull(int index, Class<?> type) {
            statement.bindNull(index, type);
            return this;
        }

        @Override
        public Statement bindNull(String name, Class<?> type) {
            statement.bindNull(name, type);
            return this;
        }

        @Override
        public Statement returnGeneratedValues(String... columns) {
            statement.returnGeneratedValues(columns);
            return this;
        }

        @Override
        public Statement fetchSize(int rows) {
            statement.fetchSize(rows);
            return this;
        }

        @Override
        public Publisher<? extends Result> execute() {
            return withoutContext(statement.execute()).map(ContextFreeResult::new);
        }

        @Override
        public Statement unwrap() {
            return statement;
        }
    }

    private record ContextFreeBatch(Batch batch) implements Batch, Wrapped<Batch> {

        @Override
        public Batch add(String sql) {
            batch.add(sql);
            return this;
        }

        @Override
        public Publisher<? extends Result> execute() {
            return withoutContext(batch.execute()).map(ContextFreeResult::new);
        }

        @Override
        public Batch unwrap() {
            return batch;
        }
    }

    private record ContextFreeResult(Result result) implements Result, Wrapped<Result> {

        @Override
        public Publisher<Long> getRowsUpdated() {
            return withoutContext(result.getRowsUpdated());
        }

        @Override
        public <T> Publisher<T> map(BiFunction<Row, RowMetadata, ? extends T> mapping) {
            return withoutContext(result.map(mapping));
        }

        @Override
        public <T> Publisher<T> map(Function<? super Readable, ? extends T> mapping) {
            return withoutContext(result.map(mapping));
        }

        @Override
        public Result filter(Predicate<Segment> filter) {
            return new ContextFreeResult(result.filter(filter));
        }

        @Override
        public <T> Publisher<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mapping) {
            return withoutContext(result.flatMap(mapping));
        }

        @Override
        public Result unwrap() {
            return result;
        }
    }
}
